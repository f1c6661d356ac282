<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../workbench/ui/main_window.py" line="+42"/>
        <source>Prepull Workbench</source>
        <extracomment>The user asked to leave (window closed or File &gt; Quit).</extracomment>
        <translation>预拉取工作台</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Workspace: %1</source>
        <translation>工作区：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Composer</source>
        <translation>请求编排</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compose a launch (path, query, scene, version, token or code), see the exact request and send it to your server or the mock.</source>
        <translation>编排一次启动（路径、query、场景值、版本、token 或 code），查看发出的确切请求，并发送到你的服务器或模拟服务器。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mock server</source>
        <translation>模拟服务器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A local developer server you can edit while it runs, with a live log of every request.</source>
        <translation>可在运行中编辑的本地开发者服务器，实时记录每一个请求。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Traffic</source>
        <translation>流量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gray-scale rollout: main and gray address, the percentage slider and simulated users.</source>
        <translation>灰度发布：主地址与灰度地址、百分比滑块和模拟用户。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cache</source>
        <translation>缓存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What wx.getBackgroundFetchData returns for each user, and why an entry is missing.</source>
        <translation>每个用户调用 wx.getBackgroundFetchData 会得到什么，以及缓存为何缺失。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every pre-pull sent, persisted in the workspace, ready to replay.</source>
        <translation>发出的每一次预拉取，保存在工作区中，可随时重放。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Prepull Workbench</source>
        <translation>关于预拉取工作台(&amp;A)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&lt;h3&gt;Prepull Workbench %1&lt;/h3&gt;&lt;p&gt;Debug WeChat Mini Program data pre-pull (background fetch) on your own machine: the exact request, a live mock server, gray-scale simulation, the cache as the Mini Program reads it, and history with replay.&lt;/p&gt;&lt;p&gt;Workspace: %2&lt;/p&gt;</source>
        <translation>&lt;h3&gt;预拉取工作台 %1&lt;/h3&gt;&lt;p&gt;在你自己的电脑上调试微信小程序数据预拉取（后台拉取）：确切的请求、实时模拟服务器、灰度模拟、小程序读取到的缓存，以及可重放的历史。&lt;/p&gt;&lt;p&gt;工作区：%2&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>About Prepull Workbench</source>
        <translation>关于预拉取工作台</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../workbench/app.py" line="+63"/>
        <source>Prepull Workbench</source>
        <translation>预拉取工作台</translation>
    </message>
</context>
</TS>
